package io.warren.broker.auth;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * The user name SASL EXTERNAL takes from a client certificate, written exactly as RabbitMQ's
 * {@code rabbitmq_auth_mechanism_ssl} plugin writes it, so that users created for RabbitMQ log in
 * unchanged ({@code ssl_cert_login_from = distinguished_name}, or {@code common_name}).
 *
 * <p>RabbitMQ's distinguished name (rabbit_ssl, checked against RabbitMQ 3.10.8) is close to RFC
 * 4514 but not the JDK's form of it: relative names most specific first, joined by commas
 * without spaces, several attributes of one name joined by {@code +} in the certificate's order;
 * attribute names from its own table (others, street included, as dotted OIDs); values
 * backslash-escaped for {@code " + , ; < > \}, a leading space or {@code #} and a trailing space,
 * and every byte of their UTF-8 form below 32 or above 125 written as {@code \XX}
 * ({@code O=M\C3\BCller}, {@code CN=a\7Eb}), where the JDK would keep the characters and write
 * unknown attributes in hex.
 */
public final class CertificateLogin {

    /** rabbit_ssl's attribute names; any other attribute is written as its OID. */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("2.5.4.4", "SN"),
            Map.entry("2.5.4.42", "GIVENNAME"),
            Map.entry("2.5.4.43", "INITIALS"),
            Map.entry("2.5.4.44", "GENERATIONQUALIFIER"),
            Map.entry("2.5.4.3", "CN"),
            Map.entry("2.5.4.7", "L"),
            Map.entry("2.5.4.8", "ST"),
            Map.entry("2.5.4.10", "O"),
            Map.entry("2.5.4.11", "OU"),
            Map.entry("2.5.4.12", "TITLE"),
            Map.entry("2.5.4.6", "C"),
            Map.entry("2.5.4.5", "SERIALNUMBER"),
            Map.entry("2.5.4.65", "PSEUDONYM"),
            Map.entry("0.9.2342.19200300.100.1.25", "DC"),
            Map.entry("1.2.840.113549.1.9.1", "EMAILADDRESS"),
            Map.entry("0.9.2342.19200300.100.1.1", "UID"));

    private static final String COMMON_NAME = "2.5.4.3";

    private CertificateLogin() {}

    /** The subject's distinguished name as RabbitMQ writes it. */
    public static String distinguishedName(X509Certificate certificate) {
        return format(certificate.getSubjectX500Principal());
    }

    /** The issuer's distinguished name, written likewise (RabbitMQ's peer_cert_issuer). */
    public static String issuerName(X509Certificate certificate) {
        return format(certificate.getIssuerX500Principal());
    }

    /**
     * The subject's common names in the certificate's order joined by commas, as RabbitMQ joins
     * several, or null when it has none.
     */
    public static String commonName(X509Certificate certificate) {
        List<String> names = new ArrayList<>(1);
        for (List<Attribute> rdn : parse(certificate.getSubjectX500Principal())) {
            for (Attribute a : rdn) {
                if (a.oid.equals(COMMON_NAME)) {
                    names.add(a.text());
                }
            }
        }
        return names.isEmpty() ? null : String.join(",", names);
    }

    /** RabbitMQ's form of a distinguished name; see the class comment. */
    static String format(X500Principal name) {
        List<List<Attribute>> rdns = parse(name);
        StringBuilder sb = new StringBuilder();
        for (int i = rdns.size() - 1; i >= 0; i--) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            List<Attribute> rdn = rdns.get(i);
            for (int j = 0; j < rdn.size(); j++) {
                if (j > 0) {
                    sb.append('+');
                }
                Attribute a = rdn.get(j);
                sb.append(NAMES.getOrDefault(a.oid, a.oid)).append('=');
                escape(a.text(), sb);
            }
        }
        return sb.toString();
    }

    /** rabbit_ssl's escape_rdn_value, byte by byte over the value's UTF-8 form. */
    private static void escape(String value, StringBuilder sb) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean first = i == 0;
            boolean last = i == bytes.length - 1;
            if ((first && (c == ' ' || c == '#')) || (!first && last && c == ' ') || "\"+,;<>\\".indexOf(c) >= 0) {
                sb.append('\\').append((char) c);
            } else if (c < 32 || c >= 126) {
                sb.append('\\').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                sb.append((char) c);
            }
        }
    }

    /** One attribute of a relative name: its OID, and its value's DER tag and content. */
    private record Attribute(String oid, int tag, byte[] content, byte[] der) {

        /** The value as text; a value of no string type as RFC 4514's {@code #} and the DER in hex. */
        String text() {
            Charset charset = switch (tag) {
                case 0x0c -> StandardCharsets.UTF_8;                    // UTF8String
                case 0x12, 0x13, 0x16, 0x1a -> StandardCharsets.US_ASCII; // Numeric, Printable, IA5, Visible
                case 0x14 -> StandardCharsets.ISO_8859_1;               // TeletexString, as everyone reads it
                case 0x1e -> StandardCharsets.UTF_16BE;                 // BMPString
                case 0x1c -> Charset.forName("UTF-32BE");               // UniversalString
                default -> null;
            };
            return charset == null ? "#" + HexFormat.of().formatHex(der) : new String(content, charset);
        }
    }

    /** The relative names in the certificate's order (least specific first), each with its attributes. */
    private static List<List<Attribute>> parse(X500Principal name) {
        Der rdns = new Der(name.getEncoded()).enter(0x30);
        List<List<Attribute>> out = new ArrayList<>();
        while (rdns.more()) {
            Der set = rdns.enter(0x31);
            List<Attribute> rdn = new ArrayList<>(1);
            while (set.more()) {
                Der atv = set.enter(0x30);
                String oid = oid(atv.take(0x06));
                int start = atv.pos;
                int tag = atv.peekTag();
                byte[] content = atv.take(tag);
                byte[] der = java.util.Arrays.copyOfRange(atv.bytes, start, atv.pos);
                rdn.add(new Attribute(oid, tag, content, der));
            }
            out.add(rdn);
        }
        return out;
    }

    private static String oid(byte[] b) {
        StringBuilder sb = new StringBuilder();
        long value = 0;
        boolean firstArc = true;
        for (byte x : b) {
            value = (value << 7) | (x & 0x7f);
            if ((x & 0x80) == 0) {
                if (firstArc) {
                    int top = value < 40 ? 0 : value < 80 ? 1 : 2;
                    sb.append(top).append('.').append(value - 40L * top);
                    firstArc = false;
                } else {
                    sb.append('.').append(value);
                }
                value = 0;
            }
        }
        return sb.toString();
    }

    /** A cursor over DER bytes: enough of it to walk a Name, which the JDK hands over well-formed. */
    private static final class Der {
        final byte[] bytes;
        int pos;
        final int end;

        Der(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        private Der(byte[] bytes, int pos, int end) {
            this.bytes = bytes;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        int peekTag() {
            return bytes[pos] & 0xff;
        }

        /** The content of the next element, which must have {@code tag}; the cursor moves past it. */
        byte[] take(int tag) {
            int[] span = element(tag);
            return java.util.Arrays.copyOfRange(bytes, span[0], span[1]);
        }

        /** A cursor over the next element's content. */
        Der enter(int tag) {
            int[] span = element(tag);
            return new Der(bytes, span[0], span[1]);
        }

        private int[] element(int tag) {
            if (peekTag() != tag) {
                throw new IllegalArgumentException("unexpected DER tag " + peekTag() + ", wanted " + tag);
            }
            pos++;
            int length = bytes[pos++] & 0xff;
            if (length >= 0x80) {
                int n = length & 0x7f;
                length = 0;
                for (int i = 0; i < n; i++) {
                    length = (length << 8) | (bytes[pos++] & 0xff);
                }
            }
            int start = pos;
            pos += length;
            if (pos > end) {
                throw new IllegalArgumentException("DER element overruns its container");
            }
            return new int[] {start, pos};
        }
    }
}
