/**
 * The load benchmark of {@code docs/performance.md} (Maven profile {@code load}):
 * {@link dev.gatekey.bench.LoadBenchmark} runs embedded Tomcat with routes behind no filter, the Gatekey filter, a
 * Gatekey filter that looks every key up, and a hand-written JDBC filter ({@code HandWrittenFilter}); drives them
 * over keep-alive connections ({@code LoadClient} over {@code HttpConnection}); measures the server threads' CPU
 * time and allocations ({@code ServerThreads}); and writes the Markdown tables ({@code Report}).
 *
 * <p>May depend on the public types of the filter and persistence modules, Tomcat, HikariCP and Micrometer;
 * nothing depends on it.
 */
package dev.gatekey.bench;
