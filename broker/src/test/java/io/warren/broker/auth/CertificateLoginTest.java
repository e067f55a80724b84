package io.warren.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/**
 * Distinguished names as RabbitMQ 3.10.8 wrote them in "EXTERNAL login refused: user '...'" for
 * certificates made with openssl (subjects given here in the JDK's RFC 2253 syntax, most
 * specific first, which the JDK encodes back into the certificate's order).
 */
class CertificateLoginTest {

    private static String rabbitmqForm(String rfc2253) {
        return CertificateLogin.format(new X500Principal(rfc2253));
    }

    @Test
    void escapesAsRabbitMqDoes() {
        assertEquals("OU=a\\+b\\, c,O=Warren Tests,CN=warren-tls-client",
                rabbitmqForm("OU=a\\+b\\, c,O=Warren Tests,CN=warren-tls-client"));
        assertEquals("2.5.4.9=Main St,O=x+OU=y,CN=a\\7Eb\\;c\\<d\\>\\\"e\\\\f\\, g\\ ",
                rabbitmqForm("STREET=Main St,OU=y+O=x,CN=a~b\\;c\\<d\\>\\\"e\\\\f\\, g\\ "));
    }

    @Test
    void nonAsciiBytesAreWrittenInHexAndUnknownAttributesByOid() {
        assertEquals("2.5.4.15=bank,L=\\ sp\\ ,2.5.4.17=12345,OU=\\#lead,O=M\\C3\\BCller Stra\\C3\\9Fe,CN=x=y #z",
                rabbitmqForm("2.5.4.15=bank,L=\\ sp\\ ,2.5.4.17=12345,OU=\\#lead,O=Müller Straße,CN=x\\=y #z"));
    }

    @Test
    void attributeNamesFromRabbitMqsTable() {
        assertEquals("PSEUDONYM=ps,2.5.4.9=Main St,UID=u1,TITLE=Dr,SN=Doe,GIVENNAME=Jo,SERIALNUMBER=42,"
                        + "EMAILADDRESS=x@y.z,CN=b,CN=a,DC=example",
                rabbitmqForm("2.5.4.65=ps,STREET=Main St,UID=u1,2.5.4.12=Dr,2.5.4.4=Doe,2.5.4.42=Jo,2.5.4.5=42,"
                        + "1.2.840.113549.1.9.1=x@y.z,CN=b,CN=a,DC=example"));
    }
}
