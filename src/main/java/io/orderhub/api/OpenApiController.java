package io.orderhub.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the API contract ({@link OpenApiDocument}) as JSON and YAML, and Swagger UI (the org.webjars:swagger-ui
 * webjar, served by Spring under /webjars/) at /api/docs. Public, like the document always was.
 */
@RestController
public class OpenApiController {

    private final OpenApiDocument document;
    private final ObjectMapper json;
    private final String swaggerUi;

    public OpenApiController(OpenApiDocument document, ObjectMapper json) {
        this.document = document;
        this.json = json;
        this.swaggerUi = page(webjarVersion());
    }

    @GetMapping(path = "/api/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> json() throws JsonProcessingException {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsBytes(document.document()));
    }

    @GetMapping(path = "/api/openapi.yaml", produces = "application/yaml")
    public ResponseEntity<byte[]> yaml() throws JsonProcessingException {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml"))
                .body(new ObjectMapper(new YAMLFactory()).writeValueAsBytes(document.document()));
    }

    @GetMapping(path = {"/api/docs", "/api/docs/"}, produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> docs() {
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8)).body(swaggerUi);
    }

    private static String webjarVersion() {
        ClassPathResource pom = new ClassPathResource("META-INF/maven/org.webjars/swagger-ui/pom.properties");
        try (InputStream in = pom.getInputStream()) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new IllegalStateException("the org.webjars:swagger-ui webjar is not on the classpath", e);
        }
    }

    private static String page(String version) {
        String base = "/webjars/swagger-ui/" + version + "/";
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <title>OrderHub API</title>
                  <link rel="stylesheet" href="%1$sswagger-ui.css">
                </head>
                <body>
                  <div id="swagger-ui"></div>
                  <script src="%1$sswagger-ui-bundle.js"></script>
                  <script src="%1$sswagger-ui-standalone-preset.js"></script>
                  <script>
                    window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui",
                      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout" });
                  </script>
                </body>
                </html>
                """.formatted(base);
    }
}
