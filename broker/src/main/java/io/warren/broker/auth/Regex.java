package io.warren.broker.auth;

import java.util.regex.Pattern;

/**
 * RabbitMQ's permission patterns are PCRE, where a brace that does not make a quantifier
 * ({@code {username}}, {@code a{b}}) is a literal; Java rejects those, so they are escaped before
 * compiling. Everything else the two dialects share for the patterns people write.
 */
final class Regex {

    private Regex() {}

    static Pattern compile(String pcre) {
        StringBuilder out = new StringBuilder(pcre.length() + 8);
        int i = 0;
        while (i < pcre.length()) {
            char c = pcre.charAt(i);
            if (c == '\\' && i + 1 < pcre.length()) {
                out.append(c).append(pcre.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '{') {
                int end = quantifierEnd(pcre, i);
                if (end < 0) {
                    out.append("\\{");
                } else {
                    out.append(pcre, i, end + 1);
                    i = end;
                }
            } else if (c == '}') {
                out.append("\\}");
            } else {
                out.append(c);
            }
            i++;
        }
        return Pattern.compile(out.toString());
    }

    /** The index of the '}' closing a quantifier {n}, {n,} or {n,m} that starts at {@code open}, else -1. */
    private static int quantifierEnd(String s, int open) {
        int i = open + 1;
        int digits = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (digits == 0) {
            return -1;
        }
        if (i < s.length() && s.charAt(i) == ',') {
            i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
        }
        return i < s.length() && s.charAt(i) == '}' ? i : -1;
    }
}
