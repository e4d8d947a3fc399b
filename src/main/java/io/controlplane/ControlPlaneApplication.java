package io.controlplane;

import io.controlplane.platform.Commands;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@EnableScheduling
public class ControlPlaneApplication {

    public static void main(String[] args) {
        if (Commands.isCommand(args)) {
            System.exit(Commands.run(ControlPlaneApplication.class, args));
        }
        SpringApplication.run(ControlPlaneApplication.class, args);
    }
}
