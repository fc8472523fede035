// shaders/people/init.glsl — init: nobody lives on the planet yet, and its air holds co2_initial
// everywhere with nothing emitted or taken up (planet.stages.people).
// Writes people: density 0 [1/km²], capacity 0 [1/km²].
//        carbon: co2 = co2_initial [ppm], emitted 0 [tC/km²], uptake 0 [tC/km²], emission 0 [tC/(km² yr)].
uniform float u_co2_initial;   // [ppm] CO2 of the air at reset

void pass_main(ivec2 cell) {
    o_people = People(0.0, 0.0);
    o_carbon = Carbon(u_co2_initial, 0.0, 0.0, 0.0);
}
