package dev.gatekey.examples.webxml;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code GET /api/orders}: sample orders of the caller ({@code request.getRemoteUser()}). */
public class OrdersServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String customer = request.getRemoteUser();
        List<Map<String, Object>> orders = List.of(
                Map.of("id", "ord_1001", "customer", customer, "item", "espresso beans, 1 kg", "total", 24.50),
                Map.of("id", "ord_1002", "customer", customer, "item", "burr grinder", "total", 189.00));
        response.setContentType("application/json");
        JSON.writeValue(response.getOutputStream(), Map.of("data", orders));
    }
}
