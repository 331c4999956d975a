package io.registrar.outbound;

import io.registrar.config.ConfigLoader;
import io.registrar.config.RegistrarConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What registration refuses before anything is fetched: the verdict on the URL alone. Nothing here
 * connects anywhere; a host that a parser misreads is a real public address (Java reads 0177.0.0.1
 * as 177.0.0.1), so no test may ever fetch one.
 */
class UrlCheckTest {

    private static final OutboundHttp OUTBOUND = new OutboundHttp(
            new ConfigLoader().load(List.of("server:\n  tls:\n    mode: \"off\"\n"), Map.of()).outbound());

    /** url | refused | what the refusal says */
    @ParameterizedTest(name = "{0} refused={1}")
    @CsvSource(delimiter = '|', value = {
            "https://93.184.216.34/jwks      | false |",
            "https://example.com/jwks        | false |",
            "https://[2001:db8::1]/jwks      | false |",
            "https://127.0.0.1/jwks          | true  | private, loopback",
            "https://[::ffff:127.0.0.1]/jwks | true  | private, loopback",
            "https://[64:ff9b::a9fe:a9fe]/j  | true  | leads to",
            "https://[2002:a9fe:a9fe::1]/j   | true  | leads to",
            "https://[2001:0:a01:203::]/j    | true  | leads to",
            "https://198.18.0.7/jwks         | true  | private, loopback",
            // Forms that parsers read differently: refused whatever address they might mean.
            "https://0177.0.0.1/jwks         | true  | parsers read differently",
            "https://010.0.0.1/jwks          | true  | parsers read differently",
            "https://93.184.216.034/jwks     | true  | parsers read differently",
            "https://127.1/jwks              | true  | parsers read differently",
            "https://127.0.1/jwks            | true  | parsers read differently",
            "https://0x7f.0.0.1/jwks         | true  | parsers read differently",
            "https://0x7f000001/jwks         | true  | parsers read differently",
            "https://2130706433/jwks         | true  | parsers read differently",
            "https://127.0.0.1./jwks         | true  | parsers read differently",
            "https://2130706433:443/jwks     | true  | parsers read differently",
            "https://u@0177.0.0.1/jwks       | true  | parsers read differently",
            "https://_bad_host_/jwks         | true  | has no host",
            "http://93.184.216.34/jwks       | true  | https",
    })
    void verdict(String url, boolean refused, String says) {
        String refusal = null;
        try {
            OUTBOUND.checkUrl(URI.create(url));
        } catch (OutboundException e) {
            refusal = e.getMessage();
        }
        assertEquals(refused, refusal != null, String.valueOf(refusal));
        if (says != null) {
            assertTrue(refusal.contains(says), refusal);
        }
    }
}
