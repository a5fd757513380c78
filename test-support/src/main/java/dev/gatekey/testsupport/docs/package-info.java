/**
 * The project's documents as the modules' tests check them against the code
 * ({@link dev.gatekey.testsupport.docs.ConfigurationReference}).
 *
 * <p>May depend on the JDK only.
 */
package dev.gatekey.testsupport.docs;
