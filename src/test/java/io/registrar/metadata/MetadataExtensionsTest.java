package io.registrar.metadata;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.registrar.policy.RegistrationRequest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 7591 §2: members the server does not understand never reach the metadata, but the policies can see them. */
class MetadataExtensionsTest {

    @Test
    void unknownMembersAreKeptApartFromTheMetadata() throws Exception {
        MetadataJson.Parsed parsed = MetadataJson.parseWithExtensions(JSONObjectUtils.parse("""
                {"client_name":"App","redirect_uris":["https://app.example/cb"],
                 "org_region":"eu","x_flags":[1,2],"x_none":null}"""));
        assertEquals("App", parsed.metadata().string(Param.CLIENT_NAME));
        assertFalse(parsed.metadata().has("org_region"));
        assertFalse(parsed.metadata().has("x_flags"));
        assertEquals("eu", parsed.extensions().get("org_region"));
        assertEquals(java.util.List.of(1L, 2L), parsed.extensions().get("x_flags"));
        assertTrue(parsed.extensions().containsKey("x_none"));
        assertNull(parsed.extensions().get("x_none"));
        assertFalse(parsed.extensions().containsKey("client_name"));

        RegistrationRequest request = RegistrationRequest.of(parsed.metadata(), parsed.extensions());
        assertEquals(parsed.extensions(), request.extensions());
        assertEquals(Map.of(), request.statementClaims());
    }
}
