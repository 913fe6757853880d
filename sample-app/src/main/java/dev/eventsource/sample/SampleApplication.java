package dev.eventsource.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Starts the sample web service. */
@SpringBootApplication
public class SampleApplication {

    /**
     * Runs the application.
     *
     * @param args command-line arguments, for example {@code --server.port=9090}
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
