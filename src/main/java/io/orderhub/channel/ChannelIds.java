package io.orderhub.channel;

/**
 * The bounds of a channel id as a sender names it (REST path, JMS property, a body's {@code channel}): at most
 * {@value #MAX_LENGTH} characters (the width the database keeps), no control or invisible characters. An id outside
 * them is refused by name before anything stores it; the document's receipt is still stored, without a channel.
 */
public final class ChannelIds {

    public static final int MAX_LENGTH = 64;

    private ChannelIds() {
    }

    /** Why the id cannot name a channel, or null when it can (null and blank ids are for the caller to judge). */
    public static String problem(String id) {
        if (id == null) {
            return null;
        }
        int length = id.codePointCount(0, id.length());
        if (length > MAX_LENGTH) {
            return "is " + length + " characters long; a channel id has at most " + MAX_LENGTH + " characters";
        }
        if (id.codePoints().anyMatch(ChannelIds::unprintable)) {
            return "must not contain control or invisible characters";
        }
        return null;
    }

    /** The id when it is within bounds, else null (what a receipt keeps of a refused id). */
    public static String storable(String id) {
        return problem(id) == null ? id : null;
    }

    /** A short printable form of any id for messages: at most 40 characters, control characters as '?'. */
    public static String quoted(String id) {
        if (id == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        id.codePoints().limit(40).forEach(c -> b.appendCodePoint(unprintable(c) ? '?' : c));
        if (id.codePointCount(0, id.length()) > 40) {
            b.append('…');
        }
        return b.append('\'').toString();
    }

    private static boolean unprintable(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.SURROGATE || type == Character.PRIVATE_USE || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
