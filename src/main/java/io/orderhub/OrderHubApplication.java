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
        SpringApplication app = new SpringApplication(OrderHubApplication.class);
        // a second hub with the same ports or data directory ends with one line saying which (not in tests)
        app.addListeners(new io.orderhub.config.StartupConflicts());
        app.run(args);
    }
}
