package io.orderhub.mapping;

import java.util.List;

/**
 * Checks a changed mapping before it replaces the running one: given a view of the mappings in
 * which the changed file has its new content, it answers what fails (empty: the change may go live).
 */
public interface MappingVerifier {

    List<String> verify(String changedFile, MappingFiles candidate);
}
