package io.registrar.http;

import io.registrar.oauth.Json;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", status >= 500 ? "server_error" : "invalid_request");
        body.put("error_description", status == 413 || status == 431 ? "The request is too large"
                : status >= 500 ? "The server could not complete the request" : "The request could not be read");
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }
}
