import CGSL

/// The one place GSL's global error handler is configured.
///
/// GSL's default handler calls `abort()`. migsim validates parameters itself
/// before calling GSL, and turns the handler off once (on first use of any
/// stream) so that a missed case returns an error code instead of killing a
/// sweep. Swift initialises globals lazily and exactly once, thread-safely.
let gslErrorHandlerDisabled: Bool = {
    _ = gsl_set_error_handler_off()  // gsl_set_error_handler_off
    return true
}()
