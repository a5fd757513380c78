package dev.gatekey.matrix.security;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;

/** An EJB only readers may call: the container checks the caller's roles. */
@Stateless
public class ReportService {

    @Resource
    SessionContext session;

    @RolesAllowed("reader")
    public String summary() {
        return session.getCallerPrincipal().getName();
    }
}
