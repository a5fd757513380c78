package dev.gatekey.security;

import dev.gatekey.filter.FilterSettings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The filter init-params an {@link ApiKeyAuthenticationMechanismDefinition} stands for: each attribute whose value is
 * not empty, under its own name, after {@code #{...}} expressions are evaluated. The params are then parsed exactly as
 * the filter's ({@link dev.gatekey.filter.KeyAuthentication#start}).
 */
final class MechanismParams {

    /** The attribute that is not a filter param. */
    static final String DELEGATE = "delegate";

    private MechanismParams() {
    }

    /**
     * @param expressions evaluates a whole-value {@code #{...}} expression to text (the others are returned as they
     *     are)
     */
    static Map<String, String> of(ApiKeyAuthenticationMechanismDefinition definition,
            UnaryOperator<String> expressions) {
        Map<String, String> params = new LinkedHashMap<>();
        Method[] attributes = ApiKeyAuthenticationMechanismDefinition.class.getDeclaredMethods();
        Arrays.sort(attributes, Comparator.comparing(Method::getName));
        for (Method attribute : attributes) {
            if (attribute.getName().equals(DELEGATE)) {
                continue;
            }
            String value = value(definition, attribute, expressions);
            if (!value.isEmpty()) {
                params.put(attribute.getName(), value);
            }
        }
        return params;
    }

    /** The delegate's bean name (expressions evaluated), or {@code null}; it needs {@code foreignCredentials=pass}. */
    static String delegate(ApiKeyAuthenticationMechanismDefinition definition, Map<String, String> params,
            UnaryOperator<String> expressions) {
        String delegate = evaluate(definition.delegate(), expressions).trim();
        if (delegate.isEmpty()) {
            return null;
        }
        if (!"pass".equals(params.get(FilterSettings.FOREIGN_CREDENTIALS))) {
            throw new IllegalArgumentException("Parameter [" + DELEGATE + "] needs [" + FilterSettings.FOREIGN_CREDENTIALS
                    + "] to be [pass]");
        }
        return delegate;
    }

    private static String value(ApiKeyAuthenticationMechanismDefinition definition, Method attribute,
            UnaryOperator<String> expressions) {
        try {
            return evaluate((String) attribute.invoke(definition), expressions);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Cannot read " + attribute, e);
        }
    }

    private static String evaluate(String value, UnaryOperator<String> expressions) {
        String trimmed = value.trim();
        return trimmed.startsWith("#{") && trimmed.endsWith("}") ? expressions.apply(trimmed) : value;
    }
}
