package dev.eventsource.sample;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The way the application.yml and the README give to read the metrics: the actuator on a management port bound to
 * 127.0.0.1. The eventsource meters are there, the API's port still does not serve them, and no other interface
 * reaches the management port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0", "management.server.address=127.0.0.1",
        "management.endpoints.web.exposure.include=health,metrics" })
class ManagementPortTests {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void h2File(DynamicPropertyRegistry registry) {
        TempH2File.register(registry, "sample-management-");
    }

    @Test
    void servesEventSourceMetersOnTheManagementPortOnly() {
        Http api = new Http(this.port);
        Http management = new Http(this.managementPort);
        assertThat(api.post("/people", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}").status()).isEqualTo(201);

        Http.Response metrics = management.get("/actuator/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        metrics.json().get("names").forEach((name) -> names.add(name.asString()));
        assertThat(names).contains("eventsource.repository.apply", "eventsource.repository.events.appended",
                "eventsource.repository.load", "eventsource.repository.save");
        Http.Response appended = management.get("/actuator/metrics/eventsource.repository.events.appended?tag=aggregate:Person");
        assertThat(appended.status()).isEqualTo(200);
        assertThat(appended.json().get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1);
        assertThat(management.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");

        assertThat(api.get("/actuator/metrics").status()).isEqualTo(404);

        // The event browser on the API's port cannot read endpoints on another port, and says so.
        Http.Response browser = api.get("/api/browser");
        assertThat(browser.json().get("endpoint").isNull()).isTrue();
        assertThat(browser.json().get("writable").asBoolean()).isFalse();
        assertThat(browser.json().get("note").asString()).contains("another port");
    }

    @Test
    void managementPortIsNotReachableFromOtherInterfaces() throws SocketException {
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(network.getInetAddresses())) {
                if (!address.isLoopbackAddress() && address instanceof Inet4Address) {
                    others.add(address);
                }
            }
        }
        for (InetAddress address : others) {
            assertThatIOException().as("management port on " + address).isThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, this.managementPort), 2000);
                }
            });
        }
        // And on 127.0.0.1 it is there.
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.managementPort), 2000);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
