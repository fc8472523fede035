// shaders/view/fade.glsl — frame overlay: black over the whole viewport with opacity u_fade (the story's
// fade-out), blended with SRC_ALPHA, ONE_MINUS_SRC_ALPHA. Reads no fields. Writes the RGB8 view target.
uniform float u_fade;   // [0..1] 0 = the frame as drawn, 1 = black
out vec4 frag;

void main() {
    frag = vec4(0.0, 0.0, 0.0, u_fade);
}
