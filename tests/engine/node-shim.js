// Runs script files under node the way the ujs shell runs them, so that
// run-conformance can compare the two engines' output:
//   node node-shim.js FILE...
// Each file is compiled as a classic script (not a CommonJS module) in
// strict mode and run in the one global scope, in order. `print` prints its
// arguments converted with ToString, separated by spaces, then a newline.
// An uncaught exception prints to stderr and exits with status 1; a
// SyntaxError is printed as `file:line:col: SyntaxError: message` like ujs.
'use strict';
var vm = require('vm');
var fs = require('fs');

// Prepended on the first line so that line numbers do not move; columns on
// line 1 move by its length, which syntaxErrorPosition subtracts.
var PREFIX = '"use strict";';

globalThis.print = function print() {
    var s = '';
    for (var i = 0; i < arguments.length; i++)
        s += (i ? ' ' : '') + String(arguments[i]);
    fs.writeSync(1, s + '\n');
};

// V8 reports a compile error's position as "file:line" on the first line of
// the stack, followed by the source line and a caret line.
function syntaxErrorPosition(e) {
    var lines = String(e.stack).split('\n');
    var m = /:(\d+)$/.exec(lines[0]);
    if (!m || lines.length < 3)
        return null;
    var line = +m[1];
    var col = lines[2].indexOf('^') + 1;
    if (col <= 0)
        return null;
    if (line === 1)
        col -= PREFIX.length;
    return line + ':' + col;
}

// The "at" lines of a stack that belong to the scripts, not to this shim.
function scriptFrames(stack) {
    var lines = String(stack).split('\n'), r = [], i;
    for (i = 0; i < lines.length; i++) {
        if (/^\s+at /.test(lines[i])) {
            if (lines[i].indexOf('node:vm') >= 0)
                break;
            r.push(lines[i]);
        }
    }
    return r.join('\n');
}

function main(files) {
    var i, file, script;
    for (i = 0; i < files.length; i++) {
        file = files[i];
        try {
            script = new vm.Script(PREFIX + fs.readFileSync(file, 'utf8'),
                                   { filename: file });
        } catch (e) {
            var pos = e instanceof SyntaxError ? syntaxErrorPosition(e) : null;
            fs.writeSync(2, file + ':' + (pos || '?:?') + ': ' + e.name + ': ' +
                         e.message + '\n');
            return 1;
        }
        try {
            script.runInThisContext();
        } catch (e) {
            // Print "Name: message" and the frames, without the source
            // excerpt V8 puts in front of the stack of vm errors.
            if (e instanceof Error)
                fs.writeSync(2, 'Uncaught ' + e.name + ': ' + e.message + '\n' +
                             scriptFrames(e.stack) + '\n');
            else
                fs.writeSync(2, 'Uncaught ' + String(e) + '\n');
            return 1;
        }
    }
    return 0;
}

process.exitCode = main(process.argv.slice(2));
