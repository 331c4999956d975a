/**
 * Deployers' registration plug-ins ({@link io.registrar.spi}): loaded from {@code plugins.directory}
 * at start-up and run as the last steps of the policy chain, each through a {@link
 * io.registrar.plugin.PluginPolicy} that turns the stable plug-in interface into the server's own
 * policy step and checks what the plug-in answers.
 */
package io.registrar.plugin;
