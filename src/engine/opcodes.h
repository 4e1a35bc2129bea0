/*
 * The bytecode instruction set: DEF(name, size in bytes, pops, pushes).
 * Operands follow the opcode byte, little-endian: u8 for argc, u16 for
 * local/argument/closure/constant indices, i32 for jump offsets relative to
 * the end of the instruction. pops/pushes of -1 mean "depends on the operand"
 * (call family) and are handled by name.
 */
#ifndef UJS_OPCODES_H
#define UJS_OPCODES_H

#define UJS_OPCODES(DEF)                                                                           \
    DEF(invalid, 1, 0, 0)                                                                          \
    DEF(push_undef, 1, 0, 1)                                                                       \
    DEF(push_null, 1, 0, 1)                                                                        \
    DEF(push_true, 1, 0, 1)                                                                        \
    DEF(push_false, 1, 0, 1)                                                                       \
    DEF(push_this, 1, 0, 1)                                                                        \
    DEF(push_i8, 2, 0, 1)                                                                          \
    DEF(push_i32, 5, 0, 1)                                                                         \
    DEF(push_const, 3, 0, 1) /* cpool[u16] */                                                      \
    DEF(fclosure, 3, 0, 1)   /* closure of cpool[u16] (a funcbc) */                                \
    DEF(push_arguments, 1, 0, 1)                                                                   \
    DEF(push_callee, 1, 0, 1)                                                                      \
    DEF(drop, 1, 1, 0)                                                                             \
    DEF(dup, 1, 1, 2)                                                                              \
    DEF(dup2, 1, 2, 4)                                                                             \
    DEF(swap, 1, 2, 2)                                                                             \
    DEF(perm3, 1, 3, 3) /* a b c -> b a c */                                                       \
    DEF(perm4, 1, 4, 4) /* a b c d -> c a b d */                                                   \
    DEF(get_loc, 3, 0, 1)                                                                          \
    DEF(put_loc, 3, 1, 0)                                                                          \
    DEF(set_loc, 3, 1, 1)                                                                          \
    DEF(get_arg, 3, 0, 1)                                                                          \
    DEF(put_arg, 3, 1, 0)                                                                          \
    DEF(set_arg, 3, 1, 1)                                                                          \
    DEF(get_loc_ref, 3, 0, 1) /* local holding a captured variable's box */                        \
    DEF(put_loc_ref, 3, 1, 0)                                                                      \
    DEF(set_loc_ref, 3, 1, 1)                                                                      \
    DEF(get_arg_ref, 3, 0, 1)                                                                      \
    DEF(put_arg_ref, 3, 1, 0)                                                                      \
    DEF(set_arg_ref, 3, 1, 1)                                                                      \
    DEF(box_loc, 3, 0, 0) /* move the slot's value into a fresh box */                             \
    DEF(box_arg, 3, 0, 0)                                                                          \
    DEF(get_cvar, 3, 0, 1)                                                                         \
    DEF(put_cvar, 3, 1, 0)                                                                         \
    DEF(set_cvar, 3, 1, 1)                                                                         \
    DEF(inc_loc, 3, 0, 0) /* statement-level x++ on a local (boxed or not) */                      \
    DEF(dec_loc, 3, 0, 0)                                                                          \
    DEF(get_global, 3, 0, 1) /* atom cpool[u16] */                                                 \
    DEF(put_global, 3, 1, 0)                                                                       \
    DEF(set_global, 3, 1, 1)                                                                       \
    DEF(typeof_global, 3, 0, 1)                                                                    \
    DEF(define_var, 3, 0, 0)     /* global var: create if absent */                                \
    DEF(define_func, 3, 1, 0)    /* global function declaration */                                 \
    DEF(get_field, 3, 1, 1)      /* obj -> obj.atom */                                             \
    DEF(get_method, 3, 1, 2)     /* obj -> func obj */                                             \
    DEF(put_field, 3, 2, 1)      /* obj v -> v */                                                  \
    DEF(put_field_drop, 3, 2, 0) /* obj v -> (statement-level assignment) */                       \
    DEF(get_loc_field, 5, 0, 1)  /* u16 local (boxed or not), u16 atom: local.atom */              \
    DEF(get_elem, 1, 2, 1)       /* obj key -> v */                                                \
    DEF(get_method_elem, 1, 2, 2)                                                                  \
    DEF(put_elem, 1, 3, 1)    /* obj key v -> v */                                                 \
    DEF(delete_elem, 1, 2, 1) /* obj key -> bool */                                                \
    DEF(new_object, 1, 0, 1)                                                                       \
    DEF(new_array, 3, -1, 1)   /* u16 elements -> array */                                         \
    DEF(define_field, 3, 2, 1) /* obj v -> obj */                                                  \
    DEF(define_getter, 3, 2, 1)                                                                    \
    DEF(define_setter, 3, 2, 1)                                                                    \
    DEF(call, 2, -1, 1) /* func this args[u8] -> result */                                         \
    DEF(new, 2, -1, 1)  /* func this args[u8] -> object */                                         \
    DEF(return, 1, 1, 0)                                                                           \
    DEF(return_undef, 1, 0, 0)                                                                     \
    DEF(throw, 1, 1, 0)                                                                            \
    DEF(throw_const, 1, 0, 0) /* write to a read-only binding: TypeError */                        \
    DEF(catch, 5, 0, 1)       /* push a handler marker; handler gets the exception */              \
    DEF(gosub, 5, 0, 0)       /* push return address, jump (finally) */                            \
    DEF(ret, 1, 1, 0)                                                                              \
    DEF(jmp, 5, 0, 0)                                                                              \
    DEF(jfalse, 5, 1, 0)                                                                           \
    DEF(jtrue, 5, 1, 0)                                                                            \
    DEF(jcmp, 6, 2, 0) /* u8 (lt/le/gt/ge index | jump-if-true << 7), i32: compare and branch */   \
    DEF(for_in_start, 1, 1, 3) /* obj -> obj keys 0 */                                             \
    DEF(for_in_next, 5, 0, 1)  /* like for_next, skipping keys deleted from obj meanwhile */       \
    DEF(for_of_start, 1, 1, 2) /* iterable -> iterable 0 */                                        \
    DEF(for_next, 5, 0, 1)     /* iter idx -> iter idx' key, or jump when done */                  \
    DEF(add, 1, 2, 1)                                                                              \
    DEF(sub, 1, 2, 1)                                                                              \
    DEF(mul, 1, 2, 1)                                                                              \
    DEF(div, 1, 2, 1)                                                                              \
    DEF(mod, 1, 2, 1)                                                                              \
    DEF(pow, 1, 2, 1)                                                                              \
    DEF(band, 1, 2, 1)                                                                             \
    DEF(bor, 1, 2, 1)                                                                              \
    DEF(bxor, 1, 2, 1)                                                                             \
    DEF(shl, 1, 2, 1)                                                                              \
    DEF(sar, 1, 2, 1)                                                                              \
    DEF(shr, 1, 2, 1)                                                                              \
    DEF(lt, 1, 2, 1)                                                                               \
    DEF(le, 1, 2, 1)                                                                               \
    DEF(gt, 1, 2, 1)                                                                               \
    DEF(ge, 1, 2, 1)                                                                               \
    DEF(eq, 1, 2, 1)                                                                               \
    DEF(neq, 1, 2, 1)                                                                              \
    DEF(seq, 1, 2, 1)                                                                              \
    DEF(sneq, 1, 2, 1)                                                                             \
    DEF(instanceof, 1, 2, 1)                                                                       \
    DEF(in, 1, 2, 1)                                                                               \
    DEF(neg, 1, 1, 1)                                                                              \
    DEF(plus, 1, 1, 1)                                                                             \
    DEF(not, 1, 1, 1)                                                                              \
    DEF(bnot, 1, 1, 1)                                                                             \
    DEF(typeof, 1, 1, 1)                                                                           \
    DEF(inc, 1, 1, 1)                                                                              \
    DEF(dec, 1, 1, 1)                                                                              \
    DEF(post_inc, 1, 1, 2) /* v -> num(v) num(v)+1 */                                              \
    DEF(post_dec, 1, 1, 2)                                                                         \
    DEF(jseq, 5, 2, 0)  /* a b -> : jump if a === b (the fused `!==; jfalse`) */                   \
    DEF(jsneq, 5, 2, 0) /* a b -> : jump if a !== b (the fused `===; jfalse`) */                   \
    /* u8 (lt/le/gt/ge index | jump-if-true << 7), i16 k, i32: a -> : jcmp against k */            \
    DEF(jcmp_i16, 8, 1, 0)                                                                         \
    DEF(jseq_i16, 7, 1, 0)      /* i16 k, i32: a -> : jump if a === k */                           \
    DEF(jsneq_i16, 7, 1, 0)     /* i16 k, i32: a -> : jump if a !== k */                           \
    DEF(put_elem_drop, 1, 3, 0) /* obj key v -> (statement-level assignment) */                    \
    DEF(return_i8, 2, 0, 0)     /* return a small constant (the fused `push_i8; return`) */        \
    /* i16 k: a -> a op k (the fused `push k; op`; interp.c relies on this order) */               \
    DEF(add_i16, 3, 1, 1)                                                                          \
    DEF(band_i16, 3, 1, 1)                                                                         \
    DEF(bor_i16, 3, 1, 1)                                                                          \
    DEF(shl_i16, 3, 1, 1)                                                                          \
    DEF(sar_i16, 3, 1, 1)                                                                          \
    DEF(shr_i16, 3, 1, 1)

enum {
#define DEF(name, size, pop, push) OP_##name,
    UJS_OPCODES(DEF)
#undef DEF
        OP__COUNT
};

extern const uint8_t ujs_op_size[OP__COUNT];

#endif
