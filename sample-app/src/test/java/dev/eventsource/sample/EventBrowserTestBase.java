package dev.eventsource.sample;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;

/**
 * What the event browser's tests share: the sample on a random port with its events in an H2 file of its own (as
 * the sample keeps them by default), one headless Chromium per test class, and a client for the sample's API.
 */
abstract class EventBrowserTestBase {

    static HeadlessChromium chromium;

    @LocalServerPort
    int port;

    Http http;

    @DynamicPropertySource
    static void h2File(DynamicPropertyRegistry registry) throws IOException {
        String data = Files.createTempDirectory("sample-browser-").resolve("eventsource").toString();
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + data + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
    }

    @BeforeAll
    static void startBrowser() {
        chromium = new HeadlessChromium();
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void connect() {
        this.http = new Http(this.port);
        // Each test reads the console messages of its own pages only.
        chromium.consoleErrors();
    }
}
