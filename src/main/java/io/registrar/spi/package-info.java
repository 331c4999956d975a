/**
 * The registration plug-in interface: custom pre-processing of RFC 7591 registrations and RFC 7592
 * updates, written by a deployer in Java and dropped into the server's plug-in folder
 * ({@code plugins.directory}).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Implement {@link io.registrar.spi.RegistrationPlugin}, give it a public no-argument
 *       constructor and list it in {@code META-INF/services/io.registrar.spi.RegistrationPlugin} of your
 *       jar ({@link java.util.ServiceLoader}). Compile against this package only (the
 *       {@code registrar-spi.jar} the build writes beside {@code registrar.jar}) and do not bundle it;
 *       libraries your plug-in needs go in the same folder or inside your jar.</li>
 *   <li>The server calls {@link io.registrar.spi.RegistrationPlugin#apply} for every registration
 *       (POST) and every update (PUT by the client, or by an operator through the admin API), after its
 *       own defaults, the profile's overrides and the declarative rules ({@code registration.rules}),
 *       and before it validates the result. Plug-ins run in the order of their jars' file names, then of
 *       their lines in the services file; each sees the changes of the ones before it.</li>
 *   <li>The input is immutable: the metadata as it stands (RFC 7591 §2 names, JSON values as
 *       {@code String}, {@code Boolean}, {@code Number}, {@code List} and {@code Map}), the verified
 *       software statement's claims (RFC 7591 §2.3; empty when none), the members of the request the
 *       server does not understand, and who is registering.</li>
 *   <li>The answer either accepts, with changes (a default for a member that is absent, an override, a
 *       member dropped), or rejects with one of the RFC 7591 §3.2.2 error codes and a description that
 *       is sent to the client as {@code error_description}.</li>
 *   <li>What a plug-in sets is checked like what a client sends: it may set only client metadata this
 *       server understands (never {@code client_id}, {@code client_secret},
 *       {@code registration_access_token} or other client information), and the result is validated
 *       before anything is stored, so an invalid override is refused with {@code invalid_client_metadata}.</li>
 *   <li>A plug-in must be thread-safe and should not block: it runs on the request's thread, once per
 *       request. It may be called for a request that is refused later by validation or storage, so it must
 *       not have side effects that assume the client was created.</li>
 *   <li>A plug-in that throws, returns {@code null} or sets a member it may not is a bug, not a bad
 *       request: the server logs it (with the plug-in's name and the stack trace) and refuses the
 *       request with {@code 400 invalid_client_metadata} "A registration policy failed", never with a 5xx
 *       and never by skipping the plug-in.</li>
 * </ul>
 *
 * <h2>Stability</h2>
 * This package depends on nothing but {@code java.base}; no internal type of the server appears in it,
 * so a plug-in built against one version keeps working with later ones of the same major version.
 * Registrant kinds and operations may gain values: treat unknown ones as the most restrictive case.
 */
package io.registrar.spi;
