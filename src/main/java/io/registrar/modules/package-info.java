/**
 * The composition root's parts, one per capability: each builds its services from configuration and
 * the modules it needs, and nothing else. {@link io.registrar.Registrar#start} puts them together in
 * order and hands the http layer the services behind its routes. No logic here beyond wiring and the
 * start-up checks of configuration that only the built services can make.
 */
package io.registrar.modules;
