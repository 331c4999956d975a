package io.registrar;

import io.registrar.config.ConfigLoader;
import io.registrar.config.RegistrarConfig;
import io.registrar.http.Route;
import io.registrar.http.Route.Action;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The route table the modules declare: every action served once per method and path, and switched off with its capability. */
class RoutesTest {

    private static RegistrarConfig config(String yaml) {
        return new ConfigLoader().load(List.of("server:\n  tls:\n    mode: \"off\"\n", yaml), Map.of());
    }

    @Test
    void everyActionIsServedAndNoRouteTwice() {
        List<Route> routes = Registrar.routes(config("{}"));
        Set<Action> served = EnumSet.noneOf(Action.class);
        Set<String> methodAndPath = new HashSet<>();
        for (Route route : routes) {
            served.add(route.action());
            assertTrue(methodAndPath.add(route.method() + " " + route.path()), "declared twice: " + route);
        }
        assertEquals(EnumSet.allOf(Action.class), served);
    }

    @Test
    void capabilitiesThatAreOffDeclareNoRoutes() {
        List<Action> noRegistration = Registrar.routes(config("registration:\n  enabled: false\n")).stream().map(Route::action).toList();
        assertFalse(noRegistration.contains(Action.REGISTER));
        assertTrue(noRegistration.contains(Action.READ_CLIENT));

        List<Action> noManagement = Registrar.routes(config("management:\n  enabled: false\n")).stream().map(Route::action).toList();
        assertTrue(noManagement.contains(Action.REGISTER));
        for (Action a : List.of(Action.READ_CLIENT, Action.UPDATE_CLIENT, Action.DELETE_CLIENT, Action.ADMIN_CLIENT, Action.ADMIN_TEMPLATES)) {
            assertFalse(noManagement.contains(a), a.name());
        }
    }
}
