// The festival's birds, made from formulas for "丹凤来仪·金鸡报晓" (scenes/spring_festival):
// a vermilion phoenix (丹凤) and a golden rooster (金鸡), each a skinned model with a colour
// texture and its clips. Metres, +Y up, facing +Z, feet on y = 0; left-side joints end in ".L".
//
//   phoenix  joints: root, body, neck_1, neck_2, head, wing_upper/fore/hand.L/.R, tail_1..4, leg.L/.R
//            clips:  fly (loop, 1.2 s, 1.2 m up), alight (2.4 s: from 1.2 m up and 1.4 m behind to the origin,
//                    wings fold), idle (loop, 3 s)
//   rooster  joints: root, body, neck_1, neck_2, head, wing/wing_tip.L/.R, tail_1..3, thigh/shin.L/.R
//            clips:  idle (loop, 2.4 s), crow (2.6 s), peck (1.2 s)
#pragma once

#include "pavilion/procedural/rigged_model.h"

namespace pavilion::procedural {

RiggedModel make_phoenix();
RiggedModel make_rooster();

}  // namespace pavilion::procedural
