// expect: TypeError
var s = new String("s");
