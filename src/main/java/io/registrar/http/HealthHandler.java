package io.registrar.http;

import io.javalin.http.Context;

import java.util.function.Supplier;

/** Liveness (the process answers) and readiness (the database answers and the services are bound). */
final class HealthHandler {

    private final Supplier<Api> api;

    HealthHandler(Supplier<Api> api) {
        this.api = api;
    }

    void live(Context ctx) {
        ctx.contentType("application/json").header("Cache-Control", "no-store").result("{\"status\":\"UP\"}");
    }

    void ready(Context ctx, boolean draining) {
        Api a = api.get();
        boolean up = !draining && a.databaseReady().getAsBoolean();
        ctx.status(up ? 200 : 503).contentType("application/json").header("Cache-Control", "no-store")
                .result(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
    }
}
