// shaders/climate/warming.glsl — greenhouse warming of the surface air by the planet's CO2 (MODEL.md §6;
// beyond the reference, whose warming is scripted by the clock). Included by climate/weather.glsl.
//   dT(lat) = S log2(C / C0) A(lat),   A(lat) = 1 + POLAR_AMPLIFICATION (sin^2 lat - 1/3)  [°C]
// C = the area-weighted mean CO2 (the people stage's scalar co2_ppm, end of the previous tick), S the
// climate sensitivity [°C per doubling], C0 the reference CO2. The logarithmic forcing is Arrhenius's
// (Myhre et al., GRL 25, 1998: dF = 5.35 ln(C / C0) W/m²). The area-weighted mean of sin^2 lat over the
// sphere is 1/3, so A averages to 1 and the global mean warms by S per doubling; the poles warm
// (1 + 2 PA/3) / (1 - PA/3) = 2 times more than the equator (Arctic amplification in climate models:
// about 2-3x, Holland & Bitz, Clim. Dyn. 21, 2003). No CO2 scalar in the scene (HAVE_CO2_PPM 0), or none
// reduced yet (C = 0, at reset): no warming.
// Reads the scalar co2_ppm [ppm] (HAVE_CO2_PPM); no fields.
uniform float u_sensitivity;     // [°C per doubling] S
uniform float u_co2_reference;   // [ppm] C0

const float POLAR_AMPLIFICATION = 0.75;

float warming(float lat) {
#if defined(HAVE_CO2_PPM) && HAVE_CO2_PPM
    float c = scalar_co2_ppm();
    if (c <= 0.0) return 0.0;
    float s = sin(lat);
    return u_sensitivity * log2(c / u_co2_reference) * (1.0 + POLAR_AMPLIFICATION * (s * s - 1.0 / 3.0));
#else
    return 0.0;
#endif
}
