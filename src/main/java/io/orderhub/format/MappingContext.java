package io.orderhub.format;

import io.orderhub.channel.Channel;
import io.orderhub.mapping.MappingFiles;

/**
 * What a format needs besides the document: the channel (null in previews and golden tests without
 * one) and the mapping files. {@link #mappingFile} resolves the mapping to use: the channel's own
 * variant when channels.yaml names one for this format, otherwise the shared default.
 */
public record MappingContext(Channel channel, MappingFiles mappings) {

    public String mappingFile(String formatId, String defaultFile) {
        if (channel != null) {
            String variant = channel.mappings().get(formatId);
            if (variant != null) {
                return variant;
            }
        }
        return defaultFile;
    }
}
