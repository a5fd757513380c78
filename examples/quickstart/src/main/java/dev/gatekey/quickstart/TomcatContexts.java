package dev.gatekey.quickstart;

import jakarta.servlet.ServletRegistration;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.descriptor.web.ApplicationParameter;
import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.apache.tomcat.util.descriptor.web.ContextResourceLink;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.scan.StandardJarScanner;

/** How the quickstart's embedded Tomcat sets up the two web applications it deploys and their shared DataSource. */
final class TomcatContexts {

    private TomcatContexts() {
    }

    /**
     * Tomcat's own error pages (requests refused before an application sees them: a malformed header line, an
     * encoded {@code /}, an over-long URI) without the report, which quotes the offending header line (a key
     * sent with a stray CR, say) and a stack trace, and without the server's version. The host finds this valve
     * in its pipeline and adds no default one.
     */
    static ErrorReportValve quietErrorReports() {
        ErrorReportValve valve = new ErrorReportValve();
        valve.setShowReport(false);
        valve.setShowServerInfo(false);
        return valve;
    }

    /**
     * The server-wide DataSource {@code name}: the quickstart's one pool, handed out by {@link PooledDataSources}
     * for {@code instance}.
     */
    static ContextResource globalDataSource(String name, String instance) {
        ContextResource resource = new ContextResource();
        resource.setName(name);
        resource.setType(DataSource.class.getName());
        resource.setAuth("Container");
        // not a singleton: Tomcat would try to register the pool as a JMX bean; the factory returns one pool anyway
        resource.setSingleton(false);
        resource.setProperty("factory", PooledDataSources.class.getName());
        resource.setProperty(PooledDataSources.INSTANCE, instance);
        return resource;
    }

    /**
     * Tomcat's web defaults minus JSP, a jar scan of {@code WEB-INF/lib} only (the quickstart's own class path, this
     * jar, holds no web fragments, and scanning it would double the start-up time), no {@code META-INF/context.xml}
     * of the WAR, and the global DataSource {@code dataSource} linked under the same name.
     */
    static void configure(Context context, String dataSource) {
        context.addServletContainerInitializer((classes, servletContext) -> {
            ServletRegistration.Dynamic defaultServlet = servletContext.addServlet("default", new DefaultServlet());
            if (defaultServlet == null) {
                return; // the WAR declares its own
            }
            defaultServlet.setInitParameter("listings", "false");
            defaultServlet.setLoadOnStartup(1);
            defaultServlet.addMapping("/");
        }, null);
        Tomcat.addDefaultMimeTypeMappings(context);
        context.addWelcomeFile("index.html");
        if (context.getJarScanner() instanceof StandardJarScanner scanner) {
            scanner.setScanClassPath(false);
            scanner.setScanManifest(false);
        }
        context.setConfigFile(null);
        ContextResourceLink link = new ContextResourceLink();
        link.setName(dataSource);
        link.setGlobal(dataSource);
        link.setType(DataSource.class.getName());
        context.getNamingResources().addResourceLink(link);
    }

    /** Context params that the WAR's own {@code web.xml} cannot override. */
    static void addContextParameters(Context context, Map<String, String> params) {
        params.forEach((name, value) -> {
            ApplicationParameter param = new ApplicationParameter();
            param.setName(name);
            param.setValue(value);
            param.setOverride(false);
            context.addApplicationParameter(param);
        });
    }

    /**
     * Adds {@code params} to the init-params of the filter named {@code filterName}, once Tomcat has read the
     * WAR's {@code web.xml} (the listeners run in the order added: Tomcat's own configuration first) and before
     * the filter starts; a param replaces the {@code web.xml} value of the same name.
     */
    static void addFilterParameters(Context context, String filterName, Map<String, String> params) {
        if (params.isEmpty()) {
            return;
        }
        context.addLifecycleListener(event -> {
            if (Lifecycle.CONFIGURE_START_EVENT.equals(event.getType())) {
                FilterDef filter = context.findFilterDef(filterName);
                if (filter == null) {
                    throw new IllegalStateException("the web application has no filter named " + filterName);
                }
                filter.getParameterMap().putAll(params);
            }
        });
    }
}
