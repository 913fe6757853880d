package dev.eventsource.sample;

import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * A headless Chromium for the event browser's tests: Debian's {@code chromium}, driven through Debian's
 * {@code chromedriver}, both given by path so that Selenium Manager never looks for (or downloads) a browser or a
 * driver. A machine without them fails the tests with a message saying what to install; they are never skipped.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path BROWSER = Path.of("/usr/bin/chromium");

    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final Path profile;

    private final ChromeDriver driver;

    HeadlessChromium() {
        for (Path binary : List.of(BROWSER, DRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " is missing: the event browser tests need Debian's chromium"
                        + " and chromium-driver packages (apt-get install -y chromium chromium-driver; .ci/run installs"
                        + " them when missing)");
            }
        }
        try {
            this.profile = Files.createTempDirectory("sample-chromium-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1360,900", "--user-data-dir=" + this.profile);
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
        this.driver = new ChromeDriver(service, options);
        this.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    ChromeDriver driver() {
        return this.driver;
    }

    void open(String url) {
        this.driver.get(url);
    }

    /** Waits up to 20 s for a condition, retrying while the page replaces the elements it looks at. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(this.driver, Duration.ofSeconds(20), Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .withMessage(what)
                .until(condition::apply);
        }
        catch (TimeoutException ex) {
            throw new AssertionError("Waited 20 s for " + what + "; the page shows status '" + textOf("#status")
                    + "' and error '" + textOf("#error") + "'", ex);
        }
    }

    private String textOf(String css) {
        List<WebElement> found = findAll(css);
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    /** Clicks an element once it is there, again when the page replaced it just before the click. */
    void click(String css) {
        new WebDriverWait(this.driver, Duration.ofSeconds(20), Duration.ofMillis(100))
            .ignoring(StaleElementReferenceException.class)
            .ignoring(NoSuchElementException.class)
            .withMessage("click " + css)
            .until((driver) -> {
                find(css).click();
                return true;
            });
    }

    WebElement find(String css) {
        return this.driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return this.driver.findElements(By.cssSelector(css));
    }

    /**
     * Returns what the pages wrote to the console at level SEVERE (script errors, Content-Security-Policy violations,
     * failed loads) since the last call.
     *
     * @return the messages
     */
    List<String> consoleErrors() {
        return this.driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .toList();
    }

    /** Writes a PNG of the window to {@code target/}, returning its path. */
    Path screenshot(String name) {
        try {
            Path file = Path.of("target", name);
            Files.createDirectories(file.getParent());
            Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
            return file;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        try {
            this.driver.quit();
        }
        finally {
            try (Stream<Path> files = Files.walk(this.profile)) {
                files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
            }
            catch (IOException ex) {
                // A profile left in the temp folder is harmless.
            }
        }
    }
}
