package io.registrar.crypto;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** RFC 7468 text encoding, with the JDK alone (no Bouncy Castle, whose signed jars cost a start ~0.3 s). */
public final class Pem {

    private Pem() {
    }

    /** The DER contents of every {@code type} block in {@code text} ("CERTIFICATE", "PRIVATE KEY"), in order; others are skipped. */
    public static List<byte[]> blocks(String text, String type) {
        Matcher m = Pattern.compile("-----BEGIN " + Pattern.quote(type) + "-----([^-]*)-----END " + Pattern.quote(type) + "-----")
                .matcher(text);
        List<byte[]> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(Base64.getMimeDecoder().decode(m.group(1)));
        }
        return blocks;
    }

    public static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
