fn main() {
    println!("preflight");
}
