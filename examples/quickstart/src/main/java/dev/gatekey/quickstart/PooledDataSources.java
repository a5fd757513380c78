package dev.gatekey.quickstart;

import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.Context;
import javax.naming.Name;
import javax.naming.NamingException;
import javax.naming.RefAddr;
import javax.naming.Reference;
import javax.naming.spi.ObjectFactory;
import javax.sql.DataSource;

/**
 * A JNDI object factory handing out the quickstart's one pool, so both WARs share it instead of each pooling
 * the H2 file itself (two H2 engines on one file lock each other out). Tomcat loads this class through the
 * webapp class loader, which finds it in the parent: the registry below is the quickstart's.
 *
 * <p>The resource's property {@value #INSTANCE} names the pool, so several quickstarts may run in one JVM.
 */
public final class PooledDataSources implements ObjectFactory {

    /** Resource property naming the registered pool. */
    public static final String INSTANCE = "instance";

    private static final Map<String, DataSource> POOLS = new ConcurrentHashMap<>();

    static void register(String instance, DataSource dataSource) {
        POOLS.put(instance, dataSource);
    }

    static void unregister(String instance) {
        POOLS.remove(instance);
    }

    @Override
    public Object getObjectInstance(Object obj, Name name, Context nameCtx, Hashtable<?, ?> environment)
            throws NamingException {
        if (!(obj instanceof Reference reference)) {
            return null;
        }
        RefAddr address = reference.get(INSTANCE);
        DataSource dataSource = address == null ? null : POOLS.get(String.valueOf(address.getContent()));
        if (dataSource == null) {
            throw new NamingException("No quickstart DataSource registered for " + name);
        }
        return dataSource;
    }
}
