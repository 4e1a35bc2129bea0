// Recursive fib(30): 1.6 million JS-to-JS calls.
function fib(n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
print(fib(30));
