package dev.gatekey.examples.selfserve;

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
 * A JNDI object factory handing out the runner's one pool, so the application and the admin WAR share it (two
 * pools would start two H2 engines on one file, and the second would find it locked). The resource's property
 * {@value #INSTANCE} names the pool, so several runners may share a JVM (tests).
 */
public final class SharedDataSources implements ObjectFactory {

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
            throw new NamingException("No DataSource registered for " + name);
        }
        return dataSource;
    }
}
