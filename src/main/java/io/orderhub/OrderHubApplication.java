package io.orderhub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class OrderHubApplication {

    public static void main(String[] args) {
        // ./mvnw spring-boot:run: a SIGTERM ends with status 0, not BUILD FAILURE (the plugin sets the property)
        io.orderhub.config.CleanExitOnTerm.installIfAsked();
        SpringApplication app = new SpringApplication(OrderHubApplication.class);
        // a second hub with the same ports or data directory ends with one line saying which (not in tests)
        app.addListeners(new io.orderhub.config.StartupConflicts());
        app.run(args);
    }
}
