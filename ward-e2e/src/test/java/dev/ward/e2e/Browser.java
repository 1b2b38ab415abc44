package dev.ward.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver, both named explicitly so that Selenium never
 * looks for (or downloads) a browser of its own. Writes screenshots to ward-e2e/target/console-screenshots.
 */
final class Browser implements AutoCloseable {
    /** Debian's packages; -Dward.chromium and -Dward.chromedriver name others. */
    static final Path CHROMIUM = Path.of(System.getProperty("ward.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("ward.chromedriver", "/usr/bin/chromedriver"));

    final ChromeDriver driver;
    final Path downloads;
    private final Path screenshots;

    private Browser(Path downloads) throws IOException {
        this.downloads = Files.createDirectories(downloads);
        this.screenshots = Files.createDirectories(WardCli.root().resolve("ward-e2e/target/console-screenshots"));
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900",
                "--lang=en-US");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    /**
     * Why the browser cannot run here (chromium or chromedriver missing), or null when it can. On CI ({@code
     * CI=true}) a missing browser fails the test instead, so that the console is never silently untested.
     */
    static String unavailable() {
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                missing.add(p.toString());
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        String why = "the console's browser tests need " + String.join(" and ", missing)
                + ": apt-get install chromium chromium-driver (.ci/run installs them)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + " (CI=true: a missing browser is a failure here, not a skip)");
        }
        return why;
    }

    /** The browser; {@link #unavailable()} first. */
    static Browser start(Path downloads) throws IOException {
        return new Browser(downloads);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The element matching css once it is there and shown. */
    WebElement await(String css) {
        return await("'" + css + "' shown", d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.getFirst().isDisplayed() ? null : found.getFirst();
        });
    }

    void awaitGone(String css) {
        await("'" + css + "' gone", d -> d.findElements(By.cssSelector(css)).isEmpty());
    }

    <T> T await(String what, ExpectedCondition<T> condition) {
        // The pages rebuild their tables as data arrives: an element found a moment ago may be gone already.
        return new WebDriverWait(driver, Duration.ofSeconds(90), Duration.ofMillis(200)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** A PNG of the window as it is now: target/console-screenshots/NAME.png. */
    Path screenshot(String name) throws IOException {
        Path png = screenshots.resolve(name + ".png");
        Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
        return png;
    }

    /** What the pages wrote to the console since the last call: script errors and CSP violations among them. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
