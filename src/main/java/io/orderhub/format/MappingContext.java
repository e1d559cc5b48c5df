package io.orderhub.format;

import io.orderhub.channel.Channel;
import io.orderhub.mapping.MappingFiles;

/**
 * What a format needs besides the document: the channel (null in previews and golden tests without
 * one) and the mapping files. {@link #mappingFile} resolves the mapping to use: the one a route named
 * ({@code mapping}, e.g. the JMS intake's map step), else the channel's own variant when channels.yaml names one
 * for this format, otherwise the shared default.
 */
public record MappingContext(Channel channel, MappingFiles mappings, String mapping) {

    public MappingContext(Channel channel, MappingFiles mappings) {
        this(channel, mappings, null);
    }

    public String mappingFile(String formatId, String defaultFile) {
        if (mapping != null && !mapping.isBlank()) {
            return mapping;
        }
        if (channel != null) {
            String variant = channel.mappings().get(formatId);
            if (variant != null) {
                return variant;
            }
        }
        return defaultFile;
    }
}
