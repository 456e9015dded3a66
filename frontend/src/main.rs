//! Browser entry point.

fn main() {
    tvaers_frontend::start();
}
