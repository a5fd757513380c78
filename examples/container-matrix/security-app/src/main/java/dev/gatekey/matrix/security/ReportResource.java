package dev.gatekey.matrix.security;

import dev.gatekey.principal.ApiKeyPrincipal;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBAccessException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code /api/reports} (readers only, by JAX-RS), {@code /api/ejb} (any authenticated caller by JAX-RS, readers only
 * by the EJB it calls) and {@code /api/public} (anyone).
 */
@Path("")
@RequestScoped
public class ReportResource {

    @EJB
    ReportService reports;
    @Inject
    Caller caller;
    @Context
    HttpServletRequest request;

    @GET
    @Path("reports")
    @RolesAllowed("reader")
    @Produces(MediaType.APPLICATION_JSON)
    public String report() {
        ApiKeyPrincipal principal = (ApiKeyPrincipal) request.getAttribute(ApiKeyPrincipal.REQUEST_ATTRIBUTE);
        return "{\"caller\":" + quote(caller.name()) + ",\"reader\":" + caller.isReader() + ",\"ejbCaller\":"
                + quote(reports.summary()) + ",\"servletReader\":" + request.isUserInRole("reader") + ",\"keyId\":"
                + quote(principal == null ? null : principal.keyId()) + "}";
    }

    @GET
    @Path("ejb")
    @Produces(MediaType.APPLICATION_JSON)
    public Response ejb() {
        try {
            return Response.ok("{\"ejbCaller\":" + quote(reports.summary()) + "}").build();
        } catch (EJBAccessException e) {
            return Response.status(Response.Status.FORBIDDEN).type("application/problem+json")
                    .entity("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403}").build();
        }
    }

    @GET
    @Path("public")
    @Produces(MediaType.APPLICATION_JSON)
    public String open() {
        return "{\"caller\":" + quote(caller.name()) + "}";
    }

    /** Consumer names and key ids are plain tokens: quoting them is enough. */
    private static String quote(String value) {
        return value == null ? "null" : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
