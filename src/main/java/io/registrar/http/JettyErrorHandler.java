package io.registrar.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Errors Jetty answers before a request reaches Javalin (a malformed request line, a Host header
 * that does not match the request target, headers too large …) get the same RFC JSON shape as
 * every other error, instead of Jetty's HTML page.
 */
final class JettyErrorHandler extends ErrorHandler {

    JettyErrorHandler() {
        setShowStacks(false);
        setCacheControl("no-store");
    }

    /** Jetty writes an error body only for GET, POST and HEAD; a bad PUT or DELETE gets its JSON too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=UTF-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json;charset=UTF-8");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(body(status));
    }

    private static byte[] body(int status) {
        return ErrorWriter.body(ErrorWriter.forStatus(status)).getBytes(StandardCharsets.UTF_8);
    }
}
