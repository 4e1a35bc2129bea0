/*
 * The const (ROM) atom table: every name the engine's built-ins use. An
 * atom is either ROM (a tagged index into this table) or an interned heap
 * string; equal names always give the identical value, so property keys
 * compare by word.
 */
#ifndef UJS_ATOMS_H
#define UJS_ATOMS_H

#define UJS_ATOM_LIST(X)                                                                           \
    X(empty, "")                                                                                   \
    X(length, "length")                                                                            \
    X(prototype, "prototype")                                                                      \
    X(constructor, "constructor")                                                                  \
    X(name, "name")                                                                                \
    X(message, "message")                                                                          \
    X(stack, "stack")                                                                              \
    X(toString, "toString")                                                                        \
    X(valueOf, "valueOf")                                                                          \
    X(undefined, "undefined")                                                                      \
    X(null, "null")                                                                                \
    X(true, "true")                                                                                \
    X(false, "false")                                                                              \
    X(number, "number")                                                                            \
    X(string, "string")                                                                            \
    X(boolean, "boolean")                                                                          \
    X(object, "object")                                                                            \
    X(function, "function")                                                                        \
    X(arguments, "arguments")                                                                      \
    X(NaN, "NaN")                                                                                  \
    X(Infinity, "Infinity")                                                                        \
    X(negInfinity, "-Infinity")                                                                    \
    X(globalThis, "globalThis")                                                                    \
    X(Object, "Object")                                                                            \
    X(Function, "Function")                                                                        \
    X(Array, "Array")                                                                              \
    X(String, "String")                                                                            \
    X(Number, "Number")                                                                            \
    X(Boolean, "Boolean")                                                                          \
    X(Math, "Math")                                                                                \
    X(Error, "Error")                                                                              \
    X(TypeError, "TypeError")                                                                      \
    X(RangeError, "RangeError")                                                                    \
    X(SyntaxError, "SyntaxError")                                                                  \
    X(ReferenceError, "ReferenceError")                                                            \
    X(Uint8Array, "Uint8Array")                                                                    \
    X(create, "create")                                                                            \
    X(keys, "keys")                                                                                \
    X(getPrototypeOf, "getPrototypeOf")                                                            \
    X(defineProperty, "defineProperty")                                                            \
    X(value, "value")                                                                              \
    X(writable, "writable")                                                                        \
    X(enumerable, "enumerable")                                                                    \
    X(configurable, "configurable")                                                                \
    X(get, "get")                                                                                  \
    X(set, "set")                                                                                  \
    X(call, "call")                                                                                \
    X(apply, "apply")                                                                              \
    X(push, "push")                                                                                \
    X(pop, "pop")                                                                                  \
    X(indexOf, "indexOf")                                                                          \
    X(join, "join")                                                                                \
    X(slice, "slice")                                                                              \
    X(isArray, "isArray")                                                                          \
    X(charCodeAt, "charCodeAt")                                                                    \
    X(charAt, "charAt")                                                                            \
    X(fromCharCode, "fromCharCode")                                                                \
    X(hasOwnProperty, "hasOwnProperty")                                                            \
    X(abs, "abs")                                                                                  \
    X(floor, "floor")                                                                              \
    X(ceil, "ceil")                                                                                \
    X(round, "round")                                                                              \
    X(trunc, "trunc")                                                                              \
    X(sqrt, "sqrt")                                                                                \
    X(pow, "pow")                                                                                  \
    X(min, "min")                                                                                  \
    X(max, "max")                                                                                  \
    X(imul, "imul")                                                                                \
    X(clz32, "clz32")                                                                              \
    X(sign, "sign")                                                                                \
    X(PI, "PI")                                                                                    \
    X(E, "E")                                                                                      \
    X(print, "print")                                                                              \
    X(anonymous, "<anonymous>")                                                                    \
    X(eval, "eval")                                                                                \
    X(isNaN, "isNaN")                                                                              \
    X(isFinite, "isFinite")                                                                        \
    X(fround, "fround")                                                                            \
    X(EvalError, "EvalError")                                                                      \
    X(URIError, "URIError")                                                                        \
    X(random, "random")                                                                            \
    X(log2, "log2")                                                                                \
    X(log10, "log10")

enum {
#define X(id, s) ATOM_##id,
    UJS_ATOM_LIST(X)
#undef X
        ATOM__COUNT
};

#define A(id) v_mkromatom(ATOM_##id)

#endif
