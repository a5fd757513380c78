package dev.gatekey.examples.selfserve;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/** The application's page layout (a header with the user and the navigation, a main part) and HTML escaping. */
final class Pages {

    private Pages() {
    }

    /** Writes a whole page; {@code main} is HTML, already escaped where it quotes data. */
    static void write(HttpServletRequest request, HttpServletResponse response, String title, String main)
            throws IOException {
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'");
        String root = request.getContextPath();
        PrintWriter out = response.getWriter();
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        out.println("<title>" + escape(title) + " · MyApp</title>");
        out.println("<link rel=\"stylesheet\" href=\"" + root + "/app.css\"></head><body>");
        out.println("<header><span class=\"brand\">MyApp</span><nav>"
                + "<a href=\"" + root + "/home\">Home</a>"
                + "<a id=\"nav-api-keys\" href=\"" + root + "/settings/api-keys\">Settings: API keys</a>"
                + "<form method=\"post\" action=\"" + root + "/signout\"><button type=\"submit\" id=\"signout\""
                + " class=\"link\">Sign out</button></form></nav>"
                + "<span id=\"user\" class=\"user\">" + escape(request.getRemoteUser()) + "</span></header>");
        out.println("<main>" + main + "</main></body></html>");
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
