package io.warren.broker.auth;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The user name SASL EXTERNAL takes from a client certificate, as RabbitMQ's
 * {@code rabbitmq_auth_mechanism_ssl} plugin writes it, so that users created for RabbitMQ log in
 * unchanged: the subject's distinguished name in RFC 4514 order, most specific first, without
 * spaces ({@code O=Warren Tests,CN=client}; {@code ssl_cert_login_from = distinguished_name}),
 * or its common name ({@code common_name}; several are joined with commas, as RabbitMQ does).
 */
public final class CertificateLogin {

    /**
     * Attribute names RabbitMQ writes that the JDK's RFC 2253 form leaves as numeric OIDs
     * (CN, C, L, ST, O, OU, STREET, DC and UID it already writes by name).
     */
    private static final Map<String, String> RABBITMQ_NAMES = Map.of(
            "2.5.4.4", "SN",
            "2.5.4.42", "GIVENNAME",
            "2.5.4.43", "INITIALS",
            "2.5.4.44", "GENERATIONQUALIFIER",
            "2.5.4.12", "TITLE",
            "2.5.4.5", "SERIALNUMBER",
            "2.5.4.65", "PSEUDONYM",
            "1.2.840.113549.1.9.1", "EMAILADDRESS");

    private CertificateLogin() {}

    public static String distinguishedName(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253, RABBITMQ_NAMES);
    }

    /** The issuer's distinguished name, written as {@link #distinguishedName} writes the subject's. */
    public static String issuerName(X509Certificate certificate) {
        return certificate.getIssuerX500Principal().getName(X500Principal.RFC2253, RABBITMQ_NAMES);
    }

    /** The subject's common names joined with commas, or null when it has none. */
    public static String commonName(X509Certificate certificate) {
        try {
            List<String> names = new ArrayList<>(1);
            // LdapName lists RDNs least specific first: the certificate's own order.
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253)).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(String.valueOf(rdn.getValue()));
                }
            }
            return names.isEmpty() ? null : String.join(",", names);
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
