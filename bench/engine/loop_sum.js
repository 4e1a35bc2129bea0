// Sum of i for i < 10,000,000: a counted loop with integer arithmetic that
// overflows the 31-bit small-integer range into doubles.
function loopSum(n) {
    var sum = 0, i;
    for (i = 0; i < n; i++)
        sum += i;
    return sum;
}
print(loopSum(10000000));
