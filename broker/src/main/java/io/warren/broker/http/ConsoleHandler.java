package io.warren.broker.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console's static files on the HTTP API's port: {@code /} is its page, {@code /console/...}
 * its scripts and stylesheet (resources under {@code io/warren/broker/console/}), and
 * {@code /console/uplot/...} uPlot's files from its WebJar, so nothing is fetched from elsewhere.
 * Requests for {@code /api} and below go on to the API handler unchanged; any other path answers
 * 404 as before.
 *
 * <p>The files are public, as RabbitMQ's management UI is: the page logs in against the API.
 * A file is read from the jar once and kept (the console and uPlot are about 120 KB); its ETag lets a browser
 * revalidate instead of downloading it again.
 *
 * <p>Concurrency: sharable, on the HTTP loop; the cache is a concurrent map.
 */
@ChannelHandler.Sharable
public final class ConsoleHandler extends ChannelInboundHandlerAdapter {

    private static final String ROOT = "io/warren/broker/console/";
    private static final String UPLOT_PROPERTIES = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    /** A file name the console may ask for: no "..", no hidden files, nothing outside its folders. */
    private static final Pattern FILE = Pattern.compile("([a-z0-9_-]+/)?[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)+");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    private final String uplotRoot;
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    public ConsoleHandler() {
        this.uplotRoot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    }

    /** What a connection's pipeline gets: this handler, then {@code api} for what is under /api. */
    public ChannelHandler before(ChannelHandler api) {
        ConsoleHandler console = this;
        // Added to a registered channel, an initializer runs at once and then removes itself.
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(console, api);
            }
        };
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).rawPath();
        if (path.equals("/api") || path.startsWith("/api/")) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            serve(ctx, req, path);
        } finally {
            req.release();
        }
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        Asset asset = asset(path);
        if (asset == null) {
            HttpResponses.error(ctx, req, HttpResponseStatus.NOT_FOUND, "Not Found");
            return;
        }
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            HttpResponses responses = new HttpResponses(ctx, req);
            responses.send(HttpResponseStatus.METHOD_NOT_ALLOWED, null, "",
                    Map.of(HttpHeaderNames.ALLOW.toString(), "GET, HEAD"));
            return;
        }
        boolean fresh = asset.etag().equals(req.headers().get(HttpHeaderNames.IF_NONE_MATCH));
        boolean withBody = !fresh && req.method().equals(HttpMethod.GET);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                fresh ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                withBody ? Unpooled.wrappedBuffer(asset.bytes()) : Unpooled.EMPTY_BUFFER);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.type());
        res.headers().set(HttpHeaderNames.ETAG, asset.etag());
        // revalidate every time: a broker upgrade must not leave an old script in the browser
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, fresh ? 0 : asset.bytes().length);
        if (HttpUtil.isKeepAlive(req)) {
            HttpUtil.setKeepAlive(res, true);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The file a path names, or null when there is none. */
    private Asset asset(String path) {
        String resource;
        if (path.equals("/") || path.equals("/index.html")) {
            resource = ROOT + "index.html";
        } else if (path.startsWith("/console/uplot/") && FILE.matcher(path.substring(15)).matches()) {
            resource = uplotRoot + path.substring(15);
        } else if (path.startsWith("/console/") && FILE.matcher(path.substring(9)).matches()) {
            resource = ROOT + path.substring(9);
        } else {
            return null;
        }
        String type = TYPES.get(resource.substring(resource.lastIndexOf('.') + 1));
        if (type == null) {
            return null;
        }
        Asset cached = cache.get(resource);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = read(resource);
        if (bytes == null) {
            return null;
        }
        Asset asset = new Asset(bytes, type, "\"" + Integer.toHexString(java.util.Arrays.hashCode(bytes)) + "\"");
        cache.put(resource, asset);
        return asset;
    }

    private static byte[] read(String resource) {
        try (InputStream in = ConsoleHandler.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the broker jar", e);
        }
    }

    /** uPlot's version, from its WebJar's Maven metadata (the one file naming it). */
    private static String uplotVersion() {
        try (InputStream in = ConsoleHandler.class.getClassLoader().getResourceAsStream(UPLOT_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException(UPLOT_PROPERTIES + " is missing: the uPlot WebJar is not on the class path");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Asset(byte[] bytes, String type, String etag) {}
}
