package io.warren.compat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in Debian's headless chromium, driven through its chromedriver (both from the
 * distribution: Selenium must not download a browser). Every wait is on the page's state.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final WebDriver driver;
    private final String base;

    private ConsoleBrowser(WebDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    /** Skips (or, on CI, fails) when chromium or its driver is not installed. */
    static ConsoleBrowser open(String base) {
        ExternalClient.assumeInstalled(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new ConsoleBrowser(new ChromeDriver(service, options), base);
    }

    WebDriver driver() {
        return driver;
    }

    /** Opens the console's page {@code hash} (e.g. "#/queues"). */
    void go(String hash) {
        driver.get(base + "/" + hash);
    }

    /** Logged out, on a freshly loaded login page. */
    void reset() {
        go("#/");
        script("sessionStorage.clear()");
        driver.navigate().refresh();
        await(ExpectedConditions.presenceOfElementLocated(By.id("login")));
    }

    void logIn(String user, String password) {
        reset();
        type(By.name("username"), user);
        type(By.name("password"), password);
        driver.findElement(By.cssSelector("#login button[type=submit]")).click();
        await(ExpectedConditions.presenceOfElementLocated(By.id("logout")));
    }

    void logOut() {
        driver.findElement(By.id("logout")).click();
        await(ExpectedConditions.presenceOfElementLocated(By.id("login")));
    }

    WebElement find(By by) {
        return await(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void type(By by, String text) {
        WebElement e = find(by);
        e.clear();
        e.sendKeys(text);
    }

    void select(By by, String value) {
        new Select(find(by)).selectByValue(value);
    }

    /** Opens a {@code <details>} section by its summary. */
    void expand(String detailsId) {
        WebElement details = find(By.id(detailsId));
        if (details.getAttribute("open") == null) {
            details.findElement(By.tagName("summary")).click();
        }
    }

    /** Waits for the element's text to be {@code text}. */
    void awaitText(By by, String text) {
        await(ExpectedConditions.textToBe(by, text));
    }

    /** Accepts the confirm dialog a destructive action opens. */
    void accept() {
        Alert alert = await(ExpectedConditions.alertIsPresent());
        alert.accept();
    }

    <T> T await(Function<? super WebDriver, T> condition) {
        return await(condition, Duration.ofSeconds(CompatTest.TIMEOUT_SECONDS));
    }

    <T> T await(Function<? super WebDriver, T> condition, Duration timeout) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).until(condition);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** A PNG of the window under target/ (not committed), to look at. */
    Path screenshot(String name) throws IOException {
        Path file = Path.of("target", "console-screenshots", name + ".png");
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
