package io.orderhub.api;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;
import io.orderhub.common.Problem;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's own error answers under /api/ as problem documents: a request Tomcat refuses before any filter or
 * servlet sees it (an encoded '/' or '\' or a NUL in the path, a path that is not valid URL encoding) would otherwise
 * get Tomcat's HTML page. Other paths keep Tomcat's report. Installed by {@link ProblemErrorReportValve.Installer}.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ProblemErrorReportValve() {
        // no stack trace and no server version in any answer, whatever the path
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        String uri = request.getRequestURI();
        // a request Tomcat could not parse (a request line or headers too large) has no path yet: a problem document
        if (status < 400 || response.getContentWritten() > 0 || (uri != null && !uri.isEmpty() && !uri.startsWith("/api/"))) {
            super.report(request, response, throwable);
            return;
        }
        if (uri == null || uri.isEmpty()) {
            uri = null;
        }
        ProblemDocument doc = status == 400 && uri == null
                ? ProblemDocument.of(Problem.MALFORMED, "request: cannot be read (the request line or headers may be too "
                        + "large)", List.of(FieldError.of("request", "cannot be read (the request line or headers may be "
                        + "too large)")), null, null)
                : status == 400
                ? ProblemDocument.of(Problem.MALFORMED, "path: cannot be read: an encoded '/', '\\' or NUL, or invalid "
                        + "URL encoding", List.of(FieldError.of("path", "cannot be read: an encoded '/', '\\' or NUL, or "
                        + "invalid URL encoding")), uri, null)
                : ProblemErrorController.describe(status, uri);
        try {
            byte[] bytes = JSON.writeValueAsBytes(doc);
            response.setContentType(ProblemDocument.MEDIA_TYPE);
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the answer was committed: nothing more to say
        }
    }

    /** Makes Tomcat's host use this valve for its error reports. */
    @org.springframework.stereotype.Component
    public static class Installer implements org.springframework.boot.web.server.WebServerFactoryCustomizer<
            org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory> {

        @Override
        public void customize(org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof org.apache.catalina.core.StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
        }
    }
}
