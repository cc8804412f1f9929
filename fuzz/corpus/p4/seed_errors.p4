header h_t { bit<8> a; bit<300> b; }
struct s_t { h_t h; undefined_t x; }
control C(inout s_t s) {
    action a(bit<8> v) { s.h.a = v + true; }
    apply { a(1, 2); s.h.c = 3; }
}
parser P(packet_in p, out s_t s) {
    state start { transition select(s.h.a) { 1: nowhere; } }
}
