package dev.eventsource.sample;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;


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
    static void h2File(DynamicPropertyRegistry registry) {
        TempH2File.register(registry, "sample-browser-");
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
